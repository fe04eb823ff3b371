"""Personnel records: people, employment history, discipline, rewards, leave."""
