from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from forum import permissions
from forum.pagination import KnownCountPaginator, page_links
from forum.search.forms import SearchForm
from forum.search.results import matching_posts, page_results, ranked_page

RESULTS_PER_PAGE = 20
MAX_PAGE = 100_000  # past any real result set; keeps the OFFSET a sane number


def _requested_page(value: str | None) -> int:
    """The page number asked for; 1 for anything that is not a positive number."""
    try:
        return min(max(1, int(value or 1)), MAX_PAGE)
    except ValueError:
        return 1


def search(request: HttpRequest) -> HttpResponse:
    """Search posts and topic titles; the form alone until there is something to look for."""
    forums = list(
        permissions.visible_forums(request.user).select_related("category").in_index_order()
    )
    form = SearchForm(request.GET or None, forums=forums)
    context: dict = {"form": form, "results": None}
    criteria = form.criteria() if form.is_bound else None
    if criteria is not None:
        matches = matching_posts(request.user, criteria)
        number = _requested_page(request.GET.get("page"))
        ranked = ranked_page(matches, criteria, (number - 1) * RESULTS_PER_PAGE, RESULTS_PER_PAGE)
        count = ranked.count
        if count is None:
            # Nothing on this page: there are no results, or the page is past the
            # last one (an old link), in which case the last page is shown.
            count = matches.count() if number > 1 else 0
            number = max(1, -(-count // RESULTS_PER_PAGE))
            if count:
                offset = (number - 1) * RESULTS_PER_PAGE
                ranked = ranked_page(matches, criteria, offset, RESULTS_PER_PAGE)
        paginator = KnownCountPaginator([], RESULTS_PER_PAGE, count)
        page = paginator.page(number)
        results = page_results(ranked.ids, criteria)

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
        )
    return render(request, "forum/search/search_results.html", context)
