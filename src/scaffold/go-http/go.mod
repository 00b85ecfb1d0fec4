module audcheck-adapter/{{name}}

go 1.22
