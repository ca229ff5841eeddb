module example.com/jmc

go 1.22

require example.com/shapes v1.0.0
