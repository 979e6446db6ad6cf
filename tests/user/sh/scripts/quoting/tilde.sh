HOME=/home/me
echo ~
echo ~/sub
echo "~"
echo a~
x=~
echo $x
y=a:~
echo $y
