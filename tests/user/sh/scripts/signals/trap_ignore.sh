trap '' TERM
kill $$
echo survived
