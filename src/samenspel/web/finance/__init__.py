"""Money: agreements, care tasks, interventions with cost and saving lines, business cases."""
