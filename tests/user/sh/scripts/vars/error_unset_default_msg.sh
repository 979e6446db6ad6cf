echo ${zz?}
