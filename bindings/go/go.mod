module github.com/chunkbuf/chunkbuf/bindings/go

go 1.24
