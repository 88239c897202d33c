module custos/agent

go 1.26.0

toolchain go1.26.10

require github.com/miekg/pkcs11 v1.1.2
