echo -e 'a\101b\x41c\0101'
echo -e 'stop\chere'
echo 'no\tescape'
