x=val
echo ${x}suffix $xsuffix.
