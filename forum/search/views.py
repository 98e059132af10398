from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forum import permissions
from forum.pagination import KnownCountPaginator, page_links
from forum.search.forms import SearchForm
from forum.search.results import add_highlights, matching_posts, ordered_results

RESULTS_PER_PAGE = 20


def search(request: HttpRequest) -> HttpResponse:
    """Search posts and topic titles; the form alone until there is something to look for."""
    forums = list(permissions.visible_forums(request.user).select_related("category"))
    form = SearchForm(request.GET or None, forums=forums)
    context: dict = {"form": form, "results": None, "filters_open": form.filters_used}
    criteria = form.criteria() if form.is_bound else None
    if criteria is not None:
        matches = matching_posts(request.user, criteria)
        count = matches.count()
        paginator = KnownCountPaginator(ordered_results(matches, criteria), RESULTS_PER_PAGE, count)
        page = paginator.get_page(request.GET.get("page"))
        results = list(page.object_list)
        add_highlights(results, criteria)

        def url_for(number: int) -> str:
            params = request.GET.copy()
            params["page"] = str(number)
            if number == 1:
                del params["page"]
            return f"?{params.urlencode()}"

        context.update(
            results=results,
            count=count,
            first_number=page.start_index(),
            pages=page_links(page.number, paginator.num_pages, url_for),
            criteria=criteria,
        )
    return render(request, "forum/search/search_results.html", context)
