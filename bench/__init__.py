"""The classroom benchmark: a load generator, its orchestrator and the integrity check (docs/benchmarks.md)."""
