echo ${x!}
