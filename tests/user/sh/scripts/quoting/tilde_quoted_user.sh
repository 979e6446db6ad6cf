echo ~root
echo "~root"
echo ~nosuchuser_x
