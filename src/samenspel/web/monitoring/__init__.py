"""Population: datasets, regiobeeld runs in the background, dashboards and exports."""
