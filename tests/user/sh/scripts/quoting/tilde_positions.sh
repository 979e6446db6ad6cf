HOME=/
printf '<%s>' ~ ~/d x=~ x=~/d a:~ ~x "~" \~; echo
y=~/d z=a:~/b
printf '<%s>' "$y" "$z"; echo
HOME=/home/u
printf '<%s>' ~ ~/d x=~; echo
w=~:~/x
echo "$w"
