"""The engine: stored suggestions kept in step with the matcher (full rematches, incremental updates
on posting signals, export). See docs/engine.md."""
