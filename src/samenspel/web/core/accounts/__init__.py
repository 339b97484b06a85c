"""Users, programme roles and the access policy."""
