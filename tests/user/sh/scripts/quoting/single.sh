echo 'a  b   c'
echo 'it''s'
echo '$HOME `x` \n'
