set -- -x -a
while getopts a opt; do echo "opt=$opt"; done
