break
echo "st=$?"
continue
echo "st=$?"
