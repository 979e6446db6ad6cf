f=archive.tar.gz
echo ${f%.*}
echo ${f%%.*}
echo ${f%.zip}
p=/usr/local/bin
echo ${p%/*}
