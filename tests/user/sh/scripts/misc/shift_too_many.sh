set -- a b
shift 3
echo "status=$?"
echo "$#"
