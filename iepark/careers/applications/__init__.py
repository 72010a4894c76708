"""Students' career profiles, applications, interviews, offers and the notifications pages."""
