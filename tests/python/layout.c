/* Prints the layout of every public struct the Python binding mirrors
 * (python/sgae/_lib.py) and the values of the enums it uses, one line each:
 *   struct NAME FIELD OFFSET SIZE      (FIELD "-" = the whole struct)
 *   enum NAME VALUE
 * test_layout.py compares them with ctypes' view. */
#include <stddef.h>
#include <stdio.h>

#include "sgae.h"

#define F(S, f) printf("struct %s %s %zu %zu\n", #S, #f, offsetof(S, f), sizeof(((S *)0)->f))
#define Z(S) printf("struct %s - 0 %zu\n", #S, sizeof(S))
#define E(x) printf("enum %s %lld\n", #x, (long long)(x))

int main(void)
{
    Z(sgae_csr);
    F(sgae_csr, nrows); F(sgae_csr, ncols); F(sgae_csr, rowptr); F(sgae_csr, col);
    F(sgae_csr, val);

    Z(sgae_graph);
    F(sgae_graph, n); F(sgae_graph, adj); F(sgae_graph, ids); F(sgae_graph, names);
    F(sgae_graph, id_base);
    F(sgae_graph, input_edges); F(sgae_graph, self_loops); F(sgae_graph, duplicates);
    F(sgae_graph, norm_valid); F(sgae_graph, dinv_sqrt); F(sgae_graph, norm);

    Z(sgae_graph_stats);
    F(sgae_graph_stats, nodes); F(sgae_graph_stats, edges); F(sgae_graph_stats, self_loops);
    F(sgae_graph_stats, duplicates); F(sgae_graph_stats, isolated);
    F(sgae_graph_stats, deg_min); F(sgae_graph_stats, deg_max);
    F(sgae_graph_stats, deg_median); F(sgae_graph_stats, deg_mean);
    F(sgae_graph_stats, components); F(sgae_graph_stats, largest_component);
    F(sgae_graph_stats, csr_bytes); F(sgae_graph_stats, weighted);
    F(sgae_graph_stats, weight_total); F(sgae_graph_stats, weight_min);
    F(sgae_graph_stats, weight_max);

    Z(sgae_labels);
    F(sgae_labels, n); F(sgae_labels, label); F(sgae_labels, nclasses);
    F(sgae_labels, class_names);

    Z(sgae_features);
    F(sgae_features, x);

    Z(sgae_load_opts);
    F(sgae_load_opts, graph); F(sgae_load_opts, format); F(sgae_load_opts, features);
    F(sgae_load_opts, labels); F(sgae_load_opts, label_attr); 
    /* the progress sink, flattened in the ctypes mirror */
    printf("struct sgae_load_opts progress_fn %zu %zu\n",
           offsetof(sgae_load_opts, progress) + offsetof(sgae_progress_sink, fn),
           sizeof(sgae_progress_fn));
    printf("struct sgae_load_opts progress_ctx %zu %zu\n",
           offsetof(sgae_load_opts, progress) + offsetof(sgae_progress_sink, ctx),
           sizeof(void *));
    F(sgae_load_opts, memory_budget); F(sgae_load_opts, weighted); F(sgae_load_opts, strict);

    Z(sgae_dataset);
    F(sgae_dataset, graph); F(sgae_dataset, features); F(sgae_dataset, labels);
    F(sgae_dataset, load_seconds); F(sgae_dataset, format);
    F(sgae_dataset, warnings); F(sgae_dataset, warning);
    F(sgae_dataset, dropped_citations);

    Z(sgae_pairs);
    F(sgae_pairs, count); F(sgae_pairs, u); F(sgae_pairs, v);

    Z(sgae_split);
    F(sgae_split, n); F(sgae_split, train); F(sgae_split, val_pos); F(sgae_split, val_neg);
    F(sgae_split, test_pos); F(sgae_split, test_neg);

    Z(sgae_model_opts);
    F(sgae_model_opts, kind); F(sgae_model_opts, hidden); F(sgae_model_opts, latent);
    F(sgae_model_opts, neg_ratio); F(sgae_model_opts, neg_iid); F(sgae_model_opts, neg_degree);
    F(sgae_model_opts, neg_reject); F(sgae_model_opts, self_loops);
    F(sgae_model_opts, pos_weight); F(sgae_model_opts, lr); F(sgae_model_opts, beta1);
    F(sgae_model_opts, beta2); F(sgae_model_opts, adam_eps); F(sgae_model_opts, weight_decay);
    F(sgae_model_opts, dropout); F(sgae_model_opts, max_logstd); F(sgae_model_opts, seed);

    Z(sgae_model_input);
    F(sgae_model_input, sparse); F(sgae_model_input, dense); F(sgae_model_input, dense_dim);

    Z(sgae_epoch_info);
    F(sgae_epoch_info, epoch); F(sgae_epoch_info, epochs); F(sgae_epoch_info, loss);
    F(sgae_epoch_info, val_auc); F(sgae_epoch_info, val_ap); F(sgae_epoch_info, best_val_auc);
    F(sgae_epoch_info, best_epoch); F(sgae_epoch_info, epoch_seconds);
    F(sgae_epoch_info, elapsed);

    Z(sgae_grad_buffer);
    F(sgae_grad_buffer, name); F(sgae_grad_buffer, data); F(sgae_grad_buffer, rows);
    F(sgae_grad_buffer, cols);

    Z(sgae_train_opts);
    F(sgae_train_opts, model); F(sgae_train_opts, epochs); F(sgae_train_opts, patience);
    F(sgae_train_opts, eval_every); F(sgae_train_opts, progress);
    F(sgae_train_opts, progress_ctx); F(sgae_train_opts, grad_hook);
    F(sgae_train_opts, grad_hook_ctx); F(sgae_train_opts, interrupt);
    F(sgae_train_opts, min_epochs);

    Z(sgae_train_result);
    F(sgae_train_result, val_auc); F(sgae_train_result, val_ap);
    F(sgae_train_result, test_auc); F(sgae_train_result, test_ap);
    F(sgae_train_result, epochs); F(sgae_train_result, best_epoch);
    F(sgae_train_result, final_loss); F(sgae_train_result, epoch_seconds);
    F(sgae_train_result, train_seconds); F(sgae_train_result, eval_seconds);
    F(sgae_train_result, phase_seconds); F(sgae_train_result, model_bytes);
    F(sgae_train_result, n); F(sgae_train_result, latent); F(sgae_train_result, embeddings);

    Z(sgae_state_info);
    F(sgae_state_info, name); F(sgae_state_info, dtype); F(sgae_state_info, rows);
    F(sgae_state_info, cols); F(sgae_state_info, bytes);

    Z(sgae_progress_sink);
    F(sgae_progress_sink, fn); F(sgae_progress_sink, ctx);

    Z(sgae_kmeans_opts);
    F(sgae_kmeans_opts, k); F(sgae_kmeans_opts, restarts); F(sgae_kmeans_opts, max_iter);
    F(sgae_kmeans_opts, tol); F(sgae_kmeans_opts, spherical); F(sgae_kmeans_opts, bounds);
    F(sgae_kmeans_opts, seed_sample); F(sgae_kmeans_opts, local_trials);
    F(sgae_kmeans_opts, seed); F(sgae_kmeans_opts, init); F(sgae_kmeans_opts, progress);

    Z(sgae_kmeans_iter);
    F(sgae_kmeans_iter, seconds); F(sgae_kmeans_iter, distances); F(sgae_kmeans_iter, changed);

    Z(sgae_kmeans_result);
    F(sgae_kmeans_result, n); F(sgae_kmeans_result, dim); F(sgae_kmeans_result, k);
    F(sgae_kmeans_result, assign); F(sgae_kmeans_result, centers);
    F(sgae_kmeans_result, inertia); F(sgae_kmeans_result, iterations);
    F(sgae_kmeans_result, converged); F(sgae_kmeans_result, best_restart);
    F(sgae_kmeans_result, restarts); F(sgae_kmeans_result, distances);
    F(sgae_kmeans_result, distances_naive); F(sgae_kmeans_result, seed_distances);
    F(sgae_kmeans_result, relocated); F(sgae_kmeans_result, seed_seconds);
    F(sgae_kmeans_result, lloyd_seconds); F(sgae_kmeans_result, seconds);
    F(sgae_kmeans_result, iter);

    Z(sgae_partition_stats);
    F(sgae_partition_stats, communities); F(sgae_partition_stats, unassigned);
    F(sgae_partition_stats, singletons); F(sgae_partition_stats, size_min);
    F(sgae_partition_stats, size_max); F(sgae_partition_stats, size_mean);
    F(sgae_partition_stats, size_median); F(sgae_partition_stats, size_log2);
    F(sgae_partition_stats, modularity); F(sgae_partition_stats, coverage);
    F(sgae_partition_stats, conductance_count); F(sgae_partition_stats, conductance_mean);
    F(sgae_partition_stats, conductance_median); F(sgae_partition_stats, conductance_min);
    F(sgae_partition_stats, conductance_max);

    Z(sgae_compare);
    F(sgae_compare, nodes); F(sgae_compare, truth_classes); F(sgae_compare, found_classes);
    F(sgae_compare, mi); F(sgae_compare, h_truth); F(sgae_compare, h_found);
    F(sgae_compare, emi); F(sgae_compare, nmi); F(sgae_compare, ari); F(sgae_compare, ami);
    F(sgae_compare, f1_truth); F(sgae_compare, f1_found); F(sgae_compare, f1);

    Z(sgae_cover);
    F(sgae_cover, n); F(sgae_cover, count); F(sgae_cover, ptr); F(sgae_cover, node);

    Z(sgae_refine_opts);
    F(sgae_refine_opts, max_rounds); F(sgae_refine_opts, progress);

    Z(sgae_refine_result);
    F(sgae_refine_result, modularity_before); F(sgae_refine_result, modularity_after);
    F(sgae_refine_result, rounds); F(sgae_refine_result, moves);
    F(sgae_refine_result, communities_before); F(sgae_refine_result, communities_after);
    F(sgae_refine_result, seconds);

    Z(sgae_match_result);
    F(sgae_match_result, common); F(sgae_match_result, changed); F(sgae_match_result, matched);
    F(sgae_match_result, fresh); F(sgae_match_result, kept); F(sgae_match_result, nmi);

    Z(sgae_cluster_opts);
    F(sgae_cluster_opts, kmeans); F(sgae_cluster_opts, start); F(sgae_cluster_opts, k_min);
    F(sgae_cluster_opts, k_max); F(sgae_cluster_opts, k_tol); F(sgae_cluster_opts, refine);
    F(sgae_cluster_opts, refine_opts);

    Z(sgae_autok_point);
    F(sgae_autok_point, k); F(sgae_autok_point, modularity); F(sgae_autok_point, seconds);

    Z(sgae_cluster_result);
    F(sgae_cluster_result, n); F(sgae_cluster_result, comm); F(sgae_cluster_result, k);
    F(sgae_cluster_result, communities); F(sgae_cluster_result, kmeans);
    F(sgae_cluster_result, refined); F(sgae_cluster_result, refine);
    F(sgae_cluster_result, modularity_kmeans); F(sgae_cluster_result, modularity);
    F(sgae_cluster_result, autok_count); F(sgae_cluster_result, autok);
    F(sgae_cluster_result, autok_seconds); F(sgae_cluster_result, seconds);

    Z(sgae_snapshot_opts);
    F(sgae_snapshot_opts, level); F(sgae_snapshot_opts, threads); F(sgae_snapshot_opts, shuffle);
    F(sgae_snapshot_opts, keep); F(sgae_snapshot_opts, embeddings);

    Z(sgae_snapshot_info);
    F(sgae_snapshot_info, version_major); F(sgae_snapshot_info, version_minor);
    F(sgae_snapshot_info, epoch); F(sgae_snapshot_info, nodes); F(sgae_snapshot_info, edges);
    F(sgae_snapshot_info, val_edges); F(sgae_snapshot_info, test_edges);
    F(sgae_snapshot_info, graph_hash); F(sgae_snapshot_info, split_hash);
    F(sgae_snapshot_info, features_hash); F(sgae_snapshot_info, features);
    F(sgae_snapshot_info, opts); F(sgae_snapshot_info, best_val_auc);
    F(sgae_snapshot_info, best_val_ap); F(sgae_snapshot_info, best_epoch);
    F(sgae_snapshot_info, file_bytes); F(sgae_snapshot_info, raw_bytes);
    F(sgae_snapshot_info, sections);

    Z(sgae_snapshot_section);
    F(sgae_snapshot_section, name); F(sgae_snapshot_section, bytes);
    F(sgae_snapshot_section, raw_bytes);

    E(SGAE_OK); E(SGAE_E_ARG); E(SGAE_E_NOMEM); E(SGAE_E_IO); E(SGAE_E_PARSE);
    E(SGAE_E_CORRUPT); E(SGAE_E_FORMAT); E(SGAE_E_NUMERIC); E(SGAE_E_DEP);
    E(SGAE_E_INTERNAL); E(SGAE_E_INTERRUPTED);
    E(SGAE_FMT_AUTO); E(SGAE_FMT_EDGELIST); E(SGAE_FMT_MTX); E(SGAE_FMT_LINQS);
    E(SGAE_FMT_GML); E(SGAE_FMT_SGR);
    E(SGAE_MODEL_VGAE); E(SGAE_MODEL_GAE);
    E(SGAE_EMB_MU); E(SGAE_EMB_LOGSTD); E(SGAE_EMB_Z); E(SGAE_EMB_BEST);
    E(SGAE_SET_VAL); E(SGAE_SET_TEST);
    E(SGAE_DTYPE_F32); E(SGAE_DTYPE_F64); E(SGAE_DTYPE_I64);
    E(SGAE_PHASE_COUNT);
    return 0;
}
