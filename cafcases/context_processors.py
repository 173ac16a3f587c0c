from cafcases.forms.casework import SearchForm


def workspace(request):
    """What the layout shows on every page: the search box."""
    return {"header_search_form": SearchForm(auto_id="header-%s")}
