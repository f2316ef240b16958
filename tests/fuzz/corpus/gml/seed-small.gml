graph [
  directed 0
  node [ id 1 label "a" value 2 ]
  node [ id 2 label "b" value 1 ]
  node [ id 7 ]
  edge [ source 1 target 2 ]
  edge [ source 2 target 7 ]
]
