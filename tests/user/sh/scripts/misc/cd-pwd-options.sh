# cd and pwd read their options as ash's nextopt("LP"): "-" alone or a word
# not starting with "-" ends them, "--" ends them and is eaten, any other
# letter is an illegal option; pwd ignores its operands.
# (The scratch directory differs between the machines: paths print from /.)
mkdir -p /tmp/cdpwd/d/e
cd /tmp/cdpwd/d; pwd
pwd abc; echo "rc=$?"
pwd -; echo "rc=$?"
pwd -- -x; echo "rc=$?"
pwd -LP; pwd -PL
pwd -x; echo "rc=$?"
pwd --bogus; echo "rc=$?"
cd -x; echo "rc=$?"
cd -LPx e; echo "rc=$?"
cd -P -- e; pwd; echo "rc=$?"
cd -- ..; pwd
cd -; echo "rc=$?"
cd /; rm -r /tmp/cdpwd
