"""Reports: records -> tables (and chart specs) for the tool-owned sheets."""
