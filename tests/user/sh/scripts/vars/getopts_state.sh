# getopts keeps its place inside a word of options across calls, even with
# other words; an index past the words starts again; OPTIND=, set -- and
# shift start again too, and each function call has its own place.
getopts ab:c opt -c -a; echo "$? $opt ${OPTARG-unset} $OPTIND"
getopts ab:c opt -ab y; echo "$? $opt ${OPTARG-unset} $OPTIND"
getopts ab:c opt -ab y; echo "$? $opt ${OPTARG-unset} $OPTIND"
getopts ab:c opt -z; echo "$? $opt ${OPTARG-unset} $OPTIND"
getopts ab:c opt -b x; echo "$? $opt ${OPTARG-unset} $OPTIND"
getopts ab:c opt --; echo "$? $opt ${OPTARG-unset} $OPTIND"
getopts :ab:c opt -z -b; echo "$? $opt ${OPTARG-unset} $OPTIND"
getopts :ab:c opt -z -b; echo "$? $opt ${OPTARG-unset} $OPTIND"
getopts :ab:c opt -z -b; echo "$? $opt ${OPTARG-unset} $OPTIND"
OPTIND=1
while getopts ab:c opt -ac -b; do echo "$opt ${OPTARG-unset} $OPTIND"; done; echo "end $opt $OPTIND"
set -- -ab -c
getopts ab:c opt; echo "$? $opt ${OPTARG-unset} $OPTIND"
set -- -ca
getopts ab:c opt; echo "$? $opt ${OPTARG-unset} $OPTIND"
getopts ab:c opt; echo "$? $opt ${OPTARG-unset} $OPTIND"
shift
getopts ab:c opt; echo "$? $opt ${OPTARG-unset} $OPTIND"
set -- -ca
getopts ab:c opt
f() { getopts ab:c o -b v; echo "in f: $? $o ${OPTARG-unset} $OPTIND"; }
f
getopts ab:c opt; echo "$? $opt ${OPTARG-unset} $OPTIND"
unset OPTIND
getopts ab:c opt; echo "$? $opt ${OPTARG-unset} $OPTIND"
OPTERR=0 getopts ab opt -x; echo "$? $opt ${OPTARG-unset}"
