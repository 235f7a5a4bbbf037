module github.com/chunkbuf/chunkbuf/examples/go

go 1.24

require github.com/chunkbuf/chunkbuf/bindings/go v0.0.0

replace github.com/chunkbuf/chunkbuf/bindings/go => ../../bindings/go
