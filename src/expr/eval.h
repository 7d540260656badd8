#ifndef FREIGHTDECK_EXPR_EVAL_H
#define FREIGHTDECK_EXPR_EVAL_H
/* src/expr/eval.h: the run-time context shared by eval.c and pred.c. */

#include <stdatomic.h>

#include "ast.h"

struct fd_expr_scope {
    struct fd_expr_val elem; /* # (borrowed) */
    int64_t index;           /* #index */
    struct fd_expr_val acc;  /* #acc (owned by the reduce loop) */
    /* a loop over a map's length: vm.go's OpBegin takes reflect's Len of
     * a map, and reading an item (Index) panics */
    bool noelem;
    /* the collection walked was a map or a string (v1.15.5's reduce reads
     * its first item through reflect, whose panics name the kind) */
    bool of_map, of_string;
    /* v1.17's sortBy: its Acc is a *runtime.SortBy of the items and keys
     * so far (owned arrays, appended after each body); #acc makes one of
     * them when first read in a body (fd_expr_scope_acc) */
    bool sorting, sort_desc;
    struct fd_expr_val sort_items, sort_keys;
};

/* The value of #acc in scope s, owned. */
struct fd_expr_val fd_expr_scope_acc(struct fd_expr_scope *s);

struct fd_expr_ctx {
    const struct fd_expr_program *p;
    struct fd_expr_val env;
    struct fd_expr_val *slots; /* let variables (owned while in scope) */
    struct fd_expr_scope *scopes;
    int nscopes;
    int noelem; /* scopes with noelem: the fast paths, which read # directly, are off */
    /* vm.go memGrow: items made so far (ranges, array and map literals,
     * map's and filter's results, sortBy's, the Safe builtins'), against
     * the VM's memory budget (fd_expr_mem_grow) */
    uint64_t memory;
    /* fd_expr_cancel_flag's, polled by fd_expr_tick every 4,096 ticks */
    const atomic_bool *cancel;
    uint32_t ticks;
    /* expr's VM keeps operands on one stack, and its findLast and
     * findLastIndex leave the loop's conditions there, below their result
     * (compiler.go emitLoopBackwards: OpJumpIfFalse does not pop). This is
     * that stack's excess, bottom first, OWNED: an operator whose later
     * operand left some pops it instead of its earlier operands
     * (fd_expr_junk_shuffle), and what it leaves stays below its result. */
    struct fd_expr_val *junk;
    size_t njunk, capjunk;
    bool short_nil;    /* a ?. met nil: the chain yields nil */
    bool reflect_call; /* the method being called is reflect's (fd_expr_ctx_reflect_call) */
    bool failed;
    uint32_t pos; /* of the fault; FD_EXPR_NO_POS: upstream names none */
    char msg[480];
};

/* One turn of a predicate's loop: false, with the run error "evaluation
 * canceled", once the thread's cancel flag is set (read every 4,096 turns). */
static inline bool fd_expr_tick(struct fd_expr_ctx *ctx)
{
    if (!ctx->cancel || (++ctx->ticks & 4095) ||
        !atomic_load_explicit(ctx->cancel, memory_order_relaxed))
        return true;
    return fd_expr_fail(ctx, "evaluation canceled");
}

/* FK_CMP, or FK_LOGIC (&&, ||) decided by fast operands; same contract. */
bool fd_expr_bool_fast(const struct fd_expr_ctx *ctx, const struct fd_node *n, bool *r);

/* Evaluates n into an OWNED *out; false on a run error (recorded in ctx). */
bool fd_expr_ev(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *out);
/* Evaluates n into *out, BORROWED when possible; release *tmp afterwards. */
bool fd_expr_evb(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *tmp,
                 struct fd_expr_val *out);
bool fd_expr_ev_pred(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val *out);
bool fd_expr_not_bool(struct fd_expr_ctx *ctx, const struct fd_node *n, struct fd_expr_val v);
/* fd_expr_mem_grow for the instruction node n compiles to (OpArray, OpMap,
 * OpRange, OpSort): a failure is at n. */
bool fd_expr_mem_grow_at(struct fd_expr_ctx *ctx, const struct fd_node *n, uint64_t size);
/* Pushes an OWNED value on the junk (see struct fd_expr_ctx). */
void fd_expr_junk_push(struct fd_expr_ctx *ctx, struct fd_expr_val v);
/* The VM's pop of k operands vals[] (OWNED, replaced) whose evaluations
 * began with marks[i] junk items: when an operand after the first left junk,
 * the top k of [junk, operand, junk, operand...] are the operands and the
 * rest stays as junk. */
void fd_expr_junk_shuffle(struct fd_expr_ctx *ctx, struct fd_expr_val *vals, const size_t *marks,
                          size_t k);

#endif
