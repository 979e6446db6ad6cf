(
kill -l 130
)
echo "[$?]"
(
let "x = 5 * 3"; echo $x
)
echo "[$?]"
(
let x++ y=x; echo $x $y
)
echo "[$?]"
(
getopts ab: o -b; echo "$o [$OPTARG] $?"
)
echo "[$?]"
(
OPTIND=1; getopts :ab: o -b; echo "$o [$OPTARG] $?"
)
echo "[$?]"
(
OPTIND=1; getopts :ab o -z; echo "$o [$OPTARG] $?"
)
echo "[$?]"
(
umask 027; umask; umask -S
)
echo "[$?]"
(
set -a; AA=1; sh -c 'echo $AA'
)
echo "[$?]"
