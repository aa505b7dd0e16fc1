"""The learner's own Value class, as in their notebook (../shared/seed), for tests.

``SEED_CLASS`` is the cell that defines it, byte for byte (comments and trailing blanks
included), ``SEED_CELL`` the next cell, which uses it; ``SeedValue`` is that very class,
executed, for tests that use it from Python; ``CountingValue`` is it counting how often a
walk asks for parents, to show a walk stopped early.
"""

from typing import ClassVar

# The learner's notebook (../shared/seed), cells 5 and 6, byte for byte.
SEED_CLASS = """\
#so here's what the derivative tells us about the function
#let's move to neural networks
#these are MASSIVE expressions. we need some data structures to hold those

class Value:
    def __init__(self, data, _children=(), _op='', label=''):
        self.data = data
        self._prev = set(_children)
        #children is a tuple but a set within the class for efficiency
        self._op = _op
        self.label = label
    
    def __repr__(self):
        return f"Value(data={self.data})"
    
    def __add__(self, other):
        out = Value(self.data + other.data, (self, other), '+')
        return out
    
    def __mul__(self, other):
        out = Value(self.data * other.data, (self, other), '*')
        return out
    
"""  # noqa: W293

SEED_CELL = """\
a = Value(2.0, label='a')
b = Value(-3.0, label='b')
c = Value(10.0, label='d')
#print(a+b) 
e = a*b; e.label='e'

#we need to add addition to Value because this won't work
print(a.__add__(b))
print(a.__mul__(b))
print(a*b) 
#the above two lines mean the same thing!
#d = a*b+c
d = e+c; d.label='d'
print(d)

print(d._prev)
"""  # noqa: W291

_namespace: dict = {}
exec(SEED_CLASS, _namespace)
SeedValue = _namespace["Value"]


class CountingValue(SeedValue):
    """The seed's class, counting in ``looks`` every time anything asks a node for its parents:
    how far a walk went before it stopped."""

    looks: ClassVar[list] = []

    @property
    def _prev(self):
        CountingValue.looks.append(1)
        return self.__dict__["_prev"]

    @_prev.setter
    def _prev(self, v):
        self.__dict__["_prev"] = v


def counting_chain(n: int) -> CountingValue:
    """A chain of n + 1 CountingValues, each the sum of the one before."""
    x = CountingValue(0.0, label="x0")
    for i in range(n):
        x = CountingValue(float(i), (x,), "+")
    return x
