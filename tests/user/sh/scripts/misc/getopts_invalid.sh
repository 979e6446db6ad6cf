set -- -z -b
while getopts ab: opt; do echo "opt=$opt arg=${OPTARG-unset}"; done
echo "end OPTIND=$OPTIND"
