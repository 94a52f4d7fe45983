"""Rules: pure functions (records, context) -> results + findings. No I/O, no clock."""
