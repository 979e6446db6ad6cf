(
set -v; echo verbose
)
echo "[$?]"
(
set -n; echo not-run
)
echo "[$?]"
(
set -x; echo a; set +x
)
echo "[$?]"
(
echo $-
)
echo "[$?]"
(
set -e; f() { false; echo no; }; f || echo caught
)
echo "[$?]"
(
set -e; false && true; echo survived
)
echo "[$?]"
(
set -e; x=$(false); echo "assign survived $?"
)
echo "[$?]"
(
set -u; echo ${undefined-ok}; echo ${#@}
)
echo "[$?]"
