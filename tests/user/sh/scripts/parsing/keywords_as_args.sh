echo if then else fi do done case esac
echo {  }
x=if; echo $x
