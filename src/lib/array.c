/* DOC: capped growable array (see array.h). */
#include "lib/array.h"

#include <stdint.h>
#include <string.h>

#define ARRAY_FIRST_CAPACITY 16

void array_init(struct array *a, enum memory_owner owner, size_t element_size, size_t max_count)
{
	memset(a, 0, sizeof(*a));
	a->owner = owner;
	a->element_size = element_size ? element_size : 1;
	a->max_count = max_count;
}

void array_free(struct array *a)
{
	memory_free(a->owner, a->items);
	a->items = NULL;
	a->count = a->capacity = 0;
}

enum array_status array_grow(struct array *a, size_t more)
{
	if (more > a->max_count || a->count > a->max_count - more)
		return ARRAY_AT_CAP;
	size_t need = a->count + more;
	if (need <= a->capacity)
		return ARRAY_OK;
	size_t capacity = a->capacity ? a->capacity : ARRAY_FIRST_CAPACITY;
	while (capacity < need && capacity <= SIZE_MAX / 2)
		capacity *= 2;
	if (capacity < need)
		capacity = need;
	if (capacity > a->max_count)
		capacity = a->max_count;
	if (capacity > SIZE_MAX / a->element_size)
		return ARRAY_NO_MEMORY;
	void *items = memory_realloc(a->owner, a->items, capacity * a->element_size);
	if (!items)
		return ARRAY_NO_MEMORY;
	a->items = items;
	a->capacity = capacity;
	return ARRAY_OK;
}

void *array_push(struct array *a)
{
	if (array_reserve(a, 1) != ARRAY_OK)
		return NULL;
	void *item = array_at(a, a->count++);
	memset(item, 0, a->element_size);
	return item;
}

void *array_insert(struct array *a, size_t i)
{
	if (i > a->count || array_reserve(a, 1) != ARRAY_OK)
		return NULL;
	memmove(array_at(a, i + 1), array_at(a, i), (a->count - i) * a->element_size);
	a->count++;
	void *item = array_at(a, i);
	memset(item, 0, a->element_size);
	return item;
}

void array_remove(struct array *a, size_t i)
{
	if (i >= a->count)
		return;
	memmove(array_at(a, i), array_at(a, i + 1), (a->count - i - 1) * a->element_size);
	a->count--;
}
