module taskbbs.test/bbs

go 1.26.0

require (
	code.cloudfoundry.org/bbs v0.0.0-20260507155651-045cbe358842
	code.cloudfoundry.org/cfhttp/v2 v2.0.0
	code.cloudfoundry.org/lager/v3 v3.25.0
	code.cloudfoundry.org/tlsconfig v0.17.0
	github.com/gogo/protobuf v1.3.2
	github.com/openzipkin/zipkin-go v0.4.3
	github.com/tedsuo/rata v1.0.0
	github.com/vito/go-sse v1.1.3
)

require github.com/bmizerany/pat v0.0.0-20170815010413-6226ea591a40 // indirect
