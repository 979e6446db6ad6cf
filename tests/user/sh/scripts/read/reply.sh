echo replied | { read; echo "REPLY=$REPLY"; }
