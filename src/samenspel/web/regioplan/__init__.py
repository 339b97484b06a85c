"""The regioplan: themes, goals on indicators, actions with owners, milestones and money."""
