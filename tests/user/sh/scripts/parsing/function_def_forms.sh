f1() { echo f1; }
f2()
{
  echo f2
}
f3() ( echo f3 in subshell )
f1; f2; f3
