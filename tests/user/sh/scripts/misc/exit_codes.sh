true; echo $?
false; echo $?
sh -c 'exit 42'; echo $?
sh -c 'exit 256'; echo $?
(exit 3); echo $?
nonexistent_cmd_xyz 2>/dev/null; echo $?
