printf 'a\\tb\n' | { read v; echo "[$v]"; }
printf 'a\\tb\n' | { read -r v; echo "[$v]"; }
printf 'cont\\\nued\n' | { read v; echo "[$v]"; }
