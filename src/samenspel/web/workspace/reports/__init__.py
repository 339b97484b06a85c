"""The programme report: composition, dynamics, business case and regiobeeld in one document."""
