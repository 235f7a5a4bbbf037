module chunkbuf.dev/examples

go 1.24

require chunkbuf.dev/chunkbuf v0.0.0

replace chunkbuf.dev/chunkbuf => ../../bindings/go
