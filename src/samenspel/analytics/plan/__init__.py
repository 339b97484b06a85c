"""The regioplan's analytics: which regiobeeld figures a goal can aim at, and how far it is."""
