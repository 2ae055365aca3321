#!/bin/sh
# MINA SSHD's I/O back-ends (NIO2, the default; sshd-mina; sshd-netty) side by side: round trip and
# throughput of a stock client through one L forward. Needs `mvn -B install -DskipTests` first (the
# itest test classes start the private sshd and the echo server). sshd-mina and sshd-netty 2.20.0
# are not on every mirror; 2.17.1 runs on the sshd-osgi 2.20.0 core here.
set -e
cd "$(dirname "$0")"
V=2.17.1
for a in org.apache.sshd:sshd-mina:$V org.apache.sshd:sshd-netty:$V; do mvn -B -q dependency:get -Dartifact=$a >/dev/null; done
R=$HOME/.m2/repository
J=$R/org/apache/sshd/sshd-osgi/2.20.0/sshd-osgi-2.20.0.jar
S=$R/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar
BC=$(find $R/org/bouncycastle -name '*-jdk18on-1.87.jar' | tr '\n' ':')
M="$R/org/apache/sshd/sshd-mina/$V/sshd-mina-$V.jar:$(find $R/org/apache/mina/mina-core -name 'mina-core-*.jar' | sort | tail -1)"
N="$R/org/apache/sshd/sshd-netty/$V/sshd-netty-$V.jar:$(find $R/io/netty -name '*.Final.jar' | grep -v 'native\|epoll\|sources' | tr '\n' ':')"
B=../target/test-classes:$J:$S:$BC
OUT=$(mktemp -d)
javac -d "$OUT" -cp "$B:$M:$N" IoBackends.java
for run in 1 2; do
  java -cp "$OUT:$B" IoBackends nio2 2>/dev/null | grep '^nio2'
  java -cp "$OUT:$B:$M" IoBackends mina 2>/dev/null | grep '^mina'
  java -cp "$OUT:$B:$N" IoBackends netty 2>/dev/null | grep '^netty'
done
