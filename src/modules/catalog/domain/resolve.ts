import type { CategoryNode, ProductInput, ProductRecord, Taxonomy } from './model.ts';

/** A stored category tree node. */
export interface CategoryInfo {
  id: string;
  name: string;
  parentId: string | null;
  department: string | null;
  taxonomies: Taxonomy[] | null;
}

export const MAX_CATEGORY_DEPTH = 10;

/** The path root..id of a category, or the reason it cannot be walked. */
export function categoryPath(id: string, tree: ReadonlyMap<string, CategoryInfo>): { path: CategoryNode[] } | { reason: string } {
  const path: CategoryNode[] = [];
  let node = tree.get(id);
  if (!node) return { reason: `unknown category ${id}` };
  while (node) {
    if (path.some((p) => p.id === node?.id) || path.length >= MAX_CATEGORY_DEPTH) return { reason: `category ${id} has a cycle or is deeper than ${MAX_CATEGORY_DEPTH}` };
    path.unshift({ id: node.id, name: node.name });
    if (node.parentId === null) break;
    const parent: CategoryInfo | undefined = tree.get(node.parentId);
    if (!parent) return { reason: `category ${node.id} has an unknown parent ${node.parentId}` };
    node = parent;
  }
  return { path };
}

/**
 * A product input made whole: the category path from `categoryId`, and the department and
 * taxonomies inherited from the nearest category that has them when the product gives none.
 */
export function resolveProduct(input: ProductInput, tree: ReadonlyMap<string, CategoryInfo>): { ok: true; value: ProductRecord } | { ok: false; reason: string } {
  let categories = input.categories ?? [];
  if (input.categoryId !== undefined) {
    const r = categoryPath(input.categoryId, tree);
    if ('reason' in r) return { ok: false, reason: r.reason };
    categories = r.path;
  }
  const nearest = <T>(pick: (c: CategoryInfo) => T | null): T | undefined => {
    for (let i = categories.length - 1; i >= 0; i--) {
      const info = tree.get(categories[i]?.id ?? '');
      const v = info ? pick(info) : null;
      if (v !== null && v !== undefined) return v;
    }
    return undefined;
  };
  const department = input.department ?? nearest((c) => c.department);
  if (!department) return { ok: false, reason: 'no department: give one, or a category whose tree has one' };
  const taxonomies = input.taxonomies ?? nearest((c) => c.taxonomies);
  const { categoryId: _categoryId, ...rest } = input;
  return { ok: true, value: { ...rest, department, categories, ...(taxonomies ? { taxonomies } : {}) } };
}
