/* model/pipeline.c: the Warehouse → Stage graph of a project, topologically ordered. */
#include "config.h"

#include "freightdeck/model.h"

#include <stdlib.h>
#include <string.h>

struct builder {
    struct fd_model_pipeline *p;
    size_t cap_nodes, cap_edges;
};

size_t fd_model_pipeline_find(const struct fd_model_pipeline *p, enum fd_model_node_kind kind,
                              const char *name)
{
    for (size_t i = 0; p && i < p->n_nodes; i++)
        if (p->nodes[i].kind == kind && fd_streq(p->nodes[i].name, name))
            return i;
    return (size_t)-1;
}

static size_t node(struct builder *b, enum fd_model_node_kind kind, const char *name,
                   const struct fd_model_object *obj)
{
    struct fd_model_pipeline *p = b->p;
    size_t i = fd_model_pipeline_find(p, kind, name);

    if (i != (size_t)-1) {
        if (obj)
            p->nodes[i].obj = obj;
        return i;
    }
    if (p->n_nodes == b->cap_nodes) {
        b->cap_nodes = b->cap_nodes ? b->cap_nodes * 2 : 16;
        p->nodes = fd_xreallocarray(p->nodes, b->cap_nodes, sizeof(*p->nodes));
    }
    p->nodes[p->n_nodes] = (struct fd_model_node){kind, fd_xstrdup(name), obj, 0, false};
    return p->n_nodes++;
}

static void edge(struct builder *b, size_t from, size_t to, const char *warehouse)
{
    struct fd_model_pipeline *p = b->p;

    for (size_t i = 0; i < p->n_edges; i++)
        if (p->edges[i].from == from && p->edges[i].to == to &&
            fd_streq(p->edges[i].warehouse, warehouse))
            return;
    if (p->n_edges == b->cap_edges) {
        b->cap_edges = b->cap_edges ? b->cap_edges * 2 : 16;
        p->edges = fd_xreallocarray(p->edges, b->cap_edges, sizeof(*p->edges));
    }
    p->edges[p->n_edges++] =
        (struct fd_model_edge){from, to, fd_xstrdup(warehouse ? warehouse : "")};
}

/* Warehouses first, then by name: a stable order for ties. */
static bool before(const struct fd_model_node *a, const struct fd_model_node *b)
{
    if (a->kind != b->kind)
        return a->kind == FD_MODEL_NODE_WAREHOUSE;
    return strcmp(a->name, b->name) < 0;
}

/* Kahn's algorithm, always taking the smallest ready node; nodes left over
 * sit on or behind a cycle and go last. Renumbers nodes and edges. */
static void order(struct fd_model_pipeline *p)
{
    size_t n = p->n_nodes;
    size_t *indeg = fd_xcalloc(n + 1, sizeof(size_t));
    size_t *rank = fd_xcalloc(n + 1, sizeof(size_t)); /* old index → new */
    bool *done = fd_xcalloc(n + 1, sizeof(bool));
    struct fd_model_node *sorted = fd_xcalloc(n + 1, sizeof(*sorted));
    size_t k = 0, max_depth = 0;

    for (size_t e = 0; e < p->n_edges; e++)
        indeg[p->edges[e].to]++;
    for (;;) {
        size_t pick = (size_t)-1;
        for (size_t i = 0; i < n; i++)
            if (!done[i] && !indeg[i] &&
                (pick == (size_t)-1 || before(&p->nodes[i], &p->nodes[pick])))
                pick = i;
        if (pick == (size_t)-1)
            break;
        done[pick] = true;
        rank[pick] = k;
        sorted[k++] = p->nodes[pick];
        if (p->nodes[pick].depth > max_depth)
            max_depth = p->nodes[pick].depth;
        for (size_t e = 0; e < p->n_edges; e++) {
            if (p->edges[e].from != pick)
                continue;
            size_t to = p->edges[e].to;
            indeg[to]--;
            if (p->nodes[to].depth < p->nodes[pick].depth + 1)
                p->nodes[to].depth = p->nodes[pick].depth + 1;
        }
    }
    /* The rest is on a cycle or downstream of one. */
    for (;;) {
        size_t pick = (size_t)-1;
        for (size_t i = 0; i < n; i++)
            if (!done[i] && (pick == (size_t)-1 || before(&p->nodes[i], &p->nodes[pick])))
                pick = i;
        if (pick == (size_t)-1)
            break;
        done[pick] = true;
        rank[pick] = k;
        p->nodes[pick].in_cycle = true;
        p->nodes[pick].depth = max_depth + 1;
        sorted[k++] = p->nodes[pick];
    }
    for (size_t e = 0; e < p->n_edges; e++) {
        p->edges[e].from = rank[p->edges[e].from];
        p->edges[e].to = rank[p->edges[e].to];
    }
    if (n)
        memcpy(p->nodes, sorted, n * sizeof(*sorted));
    free(sorted);
    free(done);
    free(rank);
    free(indeg);
}

struct fd_model_pipeline *fd_model_pipeline_build(const struct fd_model_snapshot *snap,
                                                  const char *ns)
{
    struct builder b = {fd_xcalloc(1, sizeof(struct fd_model_pipeline)), 0, 0};
    struct fd_model_object *const *list;
    size_t n;

    b.p->ns = fd_xstrdup(ns ? ns : "");
    list = fd_model_snapshot_list(snap, FD_MODEL_WAREHOUSE, &n);
    for (size_t i = 0; i < n; i++)
        if (fd_streq(list[i]->meta.ns, ns))
            node(&b, FD_MODEL_NODE_WAREHOUSE, list[i]->meta.name, list[i]);
    list = fd_model_snapshot_list(snap, FD_MODEL_STAGE, &n);
    for (size_t i = 0; i < n; i++)
        if (fd_streq(list[i]->meta.ns, ns))
            node(&b, FD_MODEL_NODE_STAGE, list[i]->meta.name, list[i]);
    for (size_t i = 0; i < n; i++) {
        const struct fd_model_stage *s = list[i]->u.stage;
        if (!fd_streq(list[i]->meta.ns, ns) || !s)
            continue;
        size_t to = fd_model_pipeline_find(b.p, FD_MODEL_NODE_STAGE, list[i]->meta.name);
        for (size_t r = 0; r < s->n_requests; r++) {
            const struct fd_model_freight_request *req = &s->requests[r];
            const char *wh = req->origin.name;
            if (req->direct && wh)
                edge(&b, node(&b, FD_MODEL_NODE_WAREHOUSE, wh, NULL), to, wh);
            for (size_t u = 0; u < req->n_stages; u++)
                edge(&b, node(&b, FD_MODEL_NODE_STAGE, req->stages[u], NULL), to, wh);
        }
    }
    order(b.p);
    return b.p;
}

void fd_model_pipeline_free(struct fd_model_pipeline *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_nodes; i++)
        free(p->nodes[i].name);
    for (size_t i = 0; i < p->n_edges; i++)
        free(p->edges[i].warehouse);
    free(p->nodes);
    free(p->edges);
    free(p->ns);
    free(p);
}

const char *fd_model_first_project(const struct fd_model_snapshot *snap)
{
    size_t n;
    struct fd_model_object *const *p = fd_model_snapshot_list(snap, FD_MODEL_PROJECT, &n);

    if (n)
        return p[0]->meta.name;
    p = fd_model_snapshot_list(snap, FD_MODEL_STAGE, &n);
    return n ? p[0]->meta.ns : NULL;
}
