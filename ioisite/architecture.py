"""A contract type for import-linter (`make lint`): no module of the project takes part in an
import cycle, counting imports made inside functions. import-linter's own `acyclic_siblings`
looks at packages as wholes; this looks at modules, which is what lets a reader open any one
of them and follow its imports downwards to the end. The contracts are in pyproject.toml."""

from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def strongly_connected(nodes, edges):
    """Tarjan's algorithm without recursion: the groups of modules that import each other."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(edges[successor]))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(sorted(group))
    return groups


class AcyclicModulesContract(Contract):
    type_name = "acyclic_modules"

    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph, verbose):
        modules = set()
        for package in self.packages:
            modules |= {package, *graph.find_descendants(package)}
        edges = {
            module: graph.find_modules_directly_imported_by(module) & modules for module in modules
        }
        cycles = []
        for group in strongly_connected(modules, edges):
            if len(group) < 2:
                continue
            first = group[0]
            successor = sorted(edges[first] & set(group))[0]
            chain = graph.find_shortest_chain(importer=successor, imported=first) or ()
            cycles.append((first, *chain))
        return ContractCheck(kept=not cycles, metadata={"cycles": cycles})

    def render_broken_contract(self, check):
        for cycle in check.metadata["cycles"]:
            output.print_error("These modules import each other, each the next:")
            for module in cycle:
                output.print_error(f"  {module}")
            output.new_line()
