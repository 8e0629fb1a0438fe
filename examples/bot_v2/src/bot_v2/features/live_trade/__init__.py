"""Live trading slice: equity, trading profiles and risk gates."""
